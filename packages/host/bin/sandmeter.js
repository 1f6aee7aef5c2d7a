#!/usr/bin/env node
// The `sandmeter` command: the compiled CLI (build first: pnpm --filter @sandmeter/host build).
import { run } from '../dist/cli.js';

await run();
