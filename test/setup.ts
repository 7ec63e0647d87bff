// Every test file runs on the backend the course uses here: wasm (DL_BACKEND can override).
import { beforeAll } from 'vitest';
import { initBackend } from '../lib/backend';

beforeAll(async () => {
  await initBackend({ backend: (process.env.DL_BACKEND as 'wasm' | 'cpu' | 'tensorflow' | undefined) ?? 'wasm' });
});
