import { existsSync, mkdirSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { type RawData, WebSocketServer, type WebSocket } from 'ws';
import { sampleDropoutMasks } from '../engine/nn/dropout-masks';
import { HistoryStore } from '../services/history';
import { type HostDialogs, LabCallError, dispatchLabCall } from '../services/lab-rpc';
import { LabService } from '../services/lab-service';
import { forkNodeWorker } from '../services/node-worker';
import { SettingsStore } from '../services/settings';
import type { RunEvent } from '../shared/api';
import { MAX_SOCKET_MESSAGE_BYTES, type ServerMessage, clientMessageSchema } from '../shared/web-host-protocol';
import { serveStatic } from './static-files';

export interface WebHostOptions {
  port: number;
  /** Folder of the run history and settings. */
  stateDir: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  defaultDataDir: string;
  /** Forces this dataset folder for the session (settings are not changed). */
  dataDir?: string;
  version: string;
}

export interface WebHost {
  url: string;
  service: LabService;
  close(): Promise<void>;
}

/** In a browser there is no folder picker or save dialog: the path is typed, exports downloaded. */
const browserDialogs: HostDialogs = {
  async chooseDatasetDir(typedPath) {
    if (typedPath !== undefined && !existsSync(typedPath)) throw new LabCallError(`folder not found: ${typedPath}`);
    return typedPath;
  },
  async saveFile() {
    return { saved: false };
  },
};

/**
 * The lab in any browser: the built renderer over HTTP and the LabApi over a WebSocket, on 127.0.0.1
 * only, with the same services as Electron and the worker started by child_process.fork.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  mkdirSync(options.stateDir, { recursive: true });
  const settings = SettingsStore.inFolder(options.stateDir);
  if (options.dataDir) settings.update({ datasetDir: path.resolve(options.dataDir) });
  const service = new LabService({
    history: new HistoryStore(path.join(options.stateDir, 'runs')),
    settings,
    launchWorker: () => forkNodeWorker(),
    defaultDataDir: options.defaultDataDir,
    host: 'web',
    dropoutMasks: sampleDropoutMasks,
    version: options.version,
  });
  service.warmUp();

  const rendererDir = path.resolve(options.rendererDir);
  let allowedHosts = new Set<string>();
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // More than one Host is a bad request (RFC 9112 3.2); Node keeps the first and drops the others.
    if ((request.headersDistinct.host?.length ?? 0) > 1) {
      response.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end('bad request');
      return;
    }
    // A DNS-rebinding page reaches 127.0.0.1 under its own name: only our own names are served.
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain', Connection: 'close' }).end('misdirected request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed');
      return;
    }
    await serveStatic(rendererDir, request.url ?? '/', response, request.method === 'HEAD');
  };
  const server: Server = createServer((request, response) => {
    // Whatever goes wrong with one request ends that request, never the host.
    handle(request, response).catch((error: unknown) => {
      console.error('DLFS Lab: request failed:', error instanceof Error ? error.message : error);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error');
      else response.destroy();
    });
  });
  // A request Node cannot parse (bad request line, headers too large): answered, not thrown.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (!allowedHosts.has(request.headers.host ?? '')) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // Only pages this host served may drive it: other sites' pages cannot open the lab's socket.
    if (request.url !== '/api' || !allowedOrigins.has(request.headers.origin ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws, service));
  });

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    service,
    close: () =>
      (closing ??= (async () => {
        service.shutdown();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })()),
  };
}

function attach(ws: WebSocket, service: LabService): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = service.onRunEvent((event: RunEvent) => send({ type: 'run-event', event }));
  ws.on('close', unsubscribe);
  // A message too large (ws closes with 1009) or a broken frame: ws reports it here and closes the socket.
  ws.on('error', (error) => console.error('DLFS Lab: WebSocket closed:', error.message));
  const answer = async (data: RawData): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(messageText(data));
    } catch {
      send({ type: 'error', id: null, message: 'not a call: the message is not JSON' });
      return;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      send({
        type: 'error',
        id: typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null,
        message: 'not a call: a message is {"id": number, "method": string, "args": [...]}',
      });
      return;
    }
    const message = parsed.data;
    try {
      const result = await dispatchLabCall(service, browserDialogs, message.method, message.args);
      send({ type: 'result', id: message.id, result: result ?? null });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      send({ type: 'error', id: message.id, message: text });
    }
  };
  ws.on('message', (data) => {
    // Only sending the answer can still fail here (the socket, or a result JSON cannot hold).
    answer(data).catch((error: unknown) => console.error('DLFS Lab: could not answer a WebSocket message:', error));
  });
}

/** A WebSocket message's UTF-8 text: ws hands it over as a Buffer, an ArrayBuffer or a list of Buffer fragments. */
function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
