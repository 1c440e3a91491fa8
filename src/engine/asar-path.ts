import path from 'node:path';

/**
 * In the packaged app the bundles and node_modules sit inside resources/app.asar, and the files the
 * engine reads by path (the bundled MNIST, tfjs' .wasm binaries) are unpacked beside it into
 * app.asar.unpacked (electron-builder.yml, asarUnpack): Electron's fs can read a file in an asar, but a
 * plain Node reader, a worker thread or a WebAssembly loader may not, and the unpacked copy is the real
 * file. Outside an asar (source checkout, built app, web host, command line) a path is left as it is.
 */
export function unpackedPath(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  const at = file.indexOf(marker);
  if (at < 0) return file;
  return `${file.slice(0, at)}${path.sep}app.asar.unpacked${path.sep}${file.slice(at + marker.length)}`;
}
