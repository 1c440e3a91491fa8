/**
 * Host headers the web host must refuse (421) on port `port`: other names, other ports, other loopback
 * addresses, look-alikes and none at all. Only `127.0.0.1:PORT` and `localhost:PORT` are its own.
 */
export function foreignHostHeaders(port: number): string[] {
  return [
    'evil.example',
    `evil.example:${port}`,
    '127.0.0.1',
    'localhost',
    '127.0.0.1:1',
    `127.0.0.2:${port}`,
    `[::1]:${port}`,
    `LOCALHOST.evil:${port}`,
    `127.0.0.1:${port}.evil.example`,
    '',
  ];
}
