#!/usr/bin/env node
// The `paneldeck` command: runs the core's CLI from its TypeScript source through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/main.ts');
