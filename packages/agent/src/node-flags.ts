/**
 * The Node options the agent runs under: the bundle's shebang (`#!/usr/bin/env -S node …` in
 * cli.ts, checked against this list by node-flags.test.ts) and the systemd unit pass them; docs/agent.md
 * shows them for Windows and Slurm. Each was measured (bench/agent/run-rss.mjs, bench/RESULTS.md):
 *  - `--lite-mode`: no optimising compiler; peak RSS of a scan ~92 → ~67 MB (before the packed
 *    modules of embedded-module.ts), and a one-shot scan uses less CPU, not more.
 *  - `--no-expose-wasm`: only silences V8's warning that lite mode turns wasm off.
 *  - `--expose-gc`: lets `agent run` collect garbage between cycles (agent-run.ts), which keeps the
 *    service at its one-cycle peak instead of ~5 MB above it.
 * Tried and left out, no gain measured: `--max-semi-space-size=1`, `--single-threaded`,
 * `--v8-pool-size=1`, `--optimize-for-size`; `--jitless` instead of `--lite-mode` costs 2 MB more in
 * `run --once` and 15 MB more in the service.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--lite-mode', '--no-expose-wasm', '--expose-gc'];
