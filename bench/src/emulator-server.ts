/** The emulator in its own process: `node emulator-server.js <latency-ms>`. Sends its URL and credentials once listening. */
import { startEmulator } from 'kakao-naver-emulator';

const latencyMs = Number(process.argv[2] ?? 0);
const emulator = await startEmulator({ latencyMs, autoApprove: { kakao: 'kakao-full', naver: 'naver-full' } });
process.send?.({
  url: emulator.url,
  kakao: { clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret },
  naver: { clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret },
});
process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
