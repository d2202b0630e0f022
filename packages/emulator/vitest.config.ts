import { packageProject } from '../../vitest.shared.ts';

export default packageProject('kakao-naver-emulator');
