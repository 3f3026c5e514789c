/** A TLS 1.2 record of `type` (22 handshake, 21 alert) around `body`. */
export function tlsRecord(type: number, body: Buffer): Buffer {
  const header = Buffer.from([type, 3, 3, 0, 0]);
  header.writeUInt16BE(body.length, 3);
  return Buffer.concat([header, body]);
}

/** A handshake message of `type` around `body`, its length field saying `announced` (a lie when asked). */
export function handshakeMessage(type: number, body: Buffer, announced = body.length): Buffer {
  const header = Buffer.alloc(4);
  header[0] = type;
  header.writeUIntBE(announced, 1, 3);
  return Buffer.concat([header, body]);
}
