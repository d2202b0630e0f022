import { packageProject } from '../../vitest.shared.ts';

export default packageProject('passport-naver-ts');
