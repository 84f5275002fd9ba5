"""Execution engines: where `process_source` runs over the files a run must process.

The stages themselves (ingest -> detect -> segment -> money -> linking, in
`pipeline.process_source`) know nothing about engines. The local engine (worker
processes on this machine) lives in `pipeline.py` and is the default; this
package holds the others, each imported only when asked for:

- `ray_engine`: a Ray Data pipeline over a local or remote Ray cluster.
- `rows`: DocResult <-> Arrow rows, the engine-free table form of a result that a
  distributed engine (Ray today, Spark `mapInArrow` tomorrow) ships and writes.
"""

ENGINES = ("local", "ray")
