'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts), so AWS never sees it.
// API Gateway's WebSocket APIs take frames of at most 32 KB and messages of at most 128 KB (a larger message is
// sent in several frames); past either, it closes the connection with 1009 (Message too big). serverless-offline's
// server (ws) took frames and messages of up to 100 MiB, so a client sending a large message in one frame worked
// locally and was cut off on AWS. Here every server-side socket in this process is held to both limits.
// Plain CommonJS because it loads before any TypeScript loader exists in that process.
const { Receiver, WebSocketServer } = require('ws');

const MAX_FRAME_BYTES = 32 * 1024;
const MAX_MESSAGE_BYTES = 128 * 1024;

// The message limit: ws's own maxPayload (per message, fragments summed), set on every server's sockets. Each socket
// also gets an 'error' listener: ws closes the connection itself (1009 here; 1007 for text that is not UTF-8, 1002
// for a broken frame), but emits 'error' first, and serverless-offline listens for none, so any of those ended its
// whole process (the HTTP API with it).
const completeUpgrade = WebSocketServer.prototype.completeUpgrade;
WebSocketServer.prototype.completeUpgrade = function completeUpgradeWithLimits(...args) {
  this.options.maxPayload = MAX_MESSAGE_BYTES;
  const connected = args[args.length - 1];
  args[args.length - 1] = (socket, request) => {
    socket.on('error', (error) => console.error(`[local-cloud] WebSocket connection closed (${error.code ?? 'error'}): ${error.message}`));
    connected(socket, request);
  };
  return completeUpgrade.apply(this, args);
};

// The frame limit, which ws does not have: checked once a data frame's length is read, before its payload.
const haveLength = Receiver.prototype.haveLength;
Receiver.prototype.haveLength = function haveLengthWithinFrameLimit(cb) {
  if (this._isServer && this._opcode < 0x08 && this._payloadLength > MAX_FRAME_BYTES) {
    cb(this.createError(RangeError, `Frame of ${this._payloadLength} bytes: API Gateway takes at most ${MAX_FRAME_BYTES}`, false, 1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'));
    return;
  }
  return haveLength.call(this, cb);
};

module.exports = { MAX_FRAME_BYTES, MAX_MESSAGE_BYTES };
