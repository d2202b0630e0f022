import { packageProject } from '../vitest.shared.ts';

export default packageProject('bench', { testTimeout: 240_000, hookTimeout: 240_000 });
