#!/usr/bin/env node
// The `nestkit` command runs the compiled CLI (built by `npm ci` through `prepare`).
require('../dist/scripts/cli.js').main(process.argv);
