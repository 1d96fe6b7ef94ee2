"""Parts of scripts/bench_hosting.py: server, browser visit, classroom load, Lighthouse."""
