// The preload (offline-websocket-limits.cjs) on a real ws server, the kind serverless-offline makes: frames of up to
// 32 KB and messages of up to 128 KB (in several frames) pass; a larger frame or message closes the connection with
// 1009, as API Gateway does.
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';

const { MAX_FRAME_BYTES, MAX_MESSAGE_BYTES } = require('../offline-websocket-limits.cjs') as { MAX_FRAME_BYTES: number; MAX_MESSAGE_BYTES: number };

let server: WebSocketServer;
let url: string;
const logged: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => socket.on('message', (data: Buffer[] | Buffer) => socket.send(`got ${Buffer.isBuffer(data) ? data.length : Buffer.concat(data).length}`)));
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  jest.restoreAllMocks();
});

/** Sends the message in frames of these sizes; the server's answer, or how it closed the connection. */
async function send(frames: number[]): Promise<string> {
  const socket = new WebSocket(url);
  await new Promise((resolve) => socket.once('open', resolve));
  const outcome = new Promise<string>((resolve) => {
    socket.once('message', (data) => resolve(String(data)));
    socket.once('close', (code) => resolve(`closed ${code}`));
  });
  frames.forEach((size, i) => socket.send(Buffer.alloc(size, 'a'), { fin: i === frames.length - 1, binary: false }));
  const result = await outcome;
  socket.terminate();
  return result;
}

it('takes a frame of 32 KB and a message of 128 KB in frames of 32 KB', async () => {
  expect(await send([MAX_FRAME_BYTES])).toBe(`got ${MAX_FRAME_BYTES}`);
  expect(await send([MAX_FRAME_BYTES, MAX_FRAME_BYTES, MAX_FRAME_BYTES, MAX_FRAME_BYTES])).toBe(`got ${MAX_MESSAGE_BYTES}`);
});

it('closes with 1009 on a frame past 32 KB, even in a small message, and on a message past 128 KB', async () => {
  expect(await send([MAX_FRAME_BYTES + 1])).toBe('closed 1009');
  expect(await send([MAX_FRAME_BYTES, MAX_FRAME_BYTES, MAX_FRAME_BYTES, MAX_FRAME_BYTES, 1])).toBe('closed 1009');
  expect(logged).toEqual([
    '[local-cloud] WebSocket connection closed (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH): Frame of 32769 bytes: API Gateway takes at most 32768',
    '[local-cloud] WebSocket connection closed (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH): Max payload size exceeded',
  ]);
});

it('regression: text that is not UTF-8 closes that connection (1007) and nothing else; it was an error nobody listened for, which ended the process', async () => {
  const socket = new WebSocket(url);
  await new Promise((resolve) => socket.once('open', resolve));
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  socket.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false });
  expect(await closed).toBe(1007);
  expect(await send([10])).toBe('got 10');
});
