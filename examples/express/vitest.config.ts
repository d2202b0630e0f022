import { packageProject } from '../../vitest.shared.ts';

export default packageProject('example-express', { testTimeout: 60_000, hookTimeout: 60_000 });
