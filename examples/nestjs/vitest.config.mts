import { packageProject } from '../../vitest.shared.ts';

export default packageProject('example-nestjs', { testTimeout: 60_000, hookTimeout: 60_000 });
