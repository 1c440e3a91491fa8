import { existsSync, readFileSync } from 'node:fs';
import { type TrainedNets, trainedNetsSchema } from '../shared/trained-nets';
import { NewerRecordFormatError, upgradeRunRecord } from '../shared/record-upgrade';
import type { RunRecord } from '../shared/runs';

/** A run record file could not be read: the message names the file and what is wrong. */
export class RecordFileError extends Error {}

/** Reads a run record (`lab run --out`, the history's record.json) of any format. */
export function readRecordFile(file: string): RunRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RecordFileError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return upgradeRunRecord(JSON.parse(text));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? `not JSON (${error.message})`
        : error instanceof NewerRecordFormatError
          ? error.message
          : 'not a run record';
    throw new RecordFileError(`${file} is ${reason}`);
  }
}

/** Where `lab run --out FILE.json` keeps the run's trained nets: FILE.nets.json. */
export const netsFileFor = (recordFile: string): string => recordFile.replace(/\.json$/, '') + '.nets.json';

/** Where `lab run --out FILE.json` keeps what it recorded inside the nets: FILE.inside.json. */
export const insideFileFor = (recordFile: string): string => recordFile.replace(/\.json$/, '') + '.inside.json';

/** The trained nets kept beside a run record file (null when there is no nets file). */
export function readNetsFile(recordFile: string): TrainedNets | null {
  const file = netsFileFor(recordFile);
  if (!existsSync(file)) return null;
  try {
    return trainedNetsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new RecordFileError(
      `${file} is not a nets file (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`,
    );
  }
}
