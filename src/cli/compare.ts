import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultParams, isExperimentId, slotOf } from '../shared/experiments';
import { changedParams, compareParams, describeChanges, formatValue } from '../shared/param-diff';
import type { RunRecord } from '../shared/runs';
import { seriesTable, tableCsv, tableJson } from '../shared/series-table';
import { RecordFileError, netsFileFor, readNetsFile, readRecordFile } from './record-file';
import { netNpz, npzFileName } from '../shared/npz';
import type { TrainedNets } from '../shared/trained-nets';

/** `lab compare` and `lab export`: runs side by side, and a run's series as a table. */

export const COMPARE_USAGE = `usage:
  lab compare A.json B.json [...] [--all]   the parameters that differ (--all: every one) and the key results
  lab export RECORD.json --format csv|json [--out FILE]   the run's series, one row per x
  lab export RECORD.json --format npz [--net LABEL] [--out FILE.npz]   a trained net kept beside it, for NumPy`;

/**
 * The arguments parsed (each command's options plus --help), or an exit code: 0 after --help (the usage
 * on stdout), 2 after an unknown option or a missing value (the message and the usage on stderr).
 */
function parseOrExit<T extends { values: { help?: boolean } }>(parse: () => T): T | number {
  try {
    const parsed = parse();
    if (parsed.values.help) {
      console.log(COMPARE_USAGE);
      return 0;
    }
    return parsed;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${COMPARE_USAGE}`);
    return 2;
  }
}

const help = { type: 'boolean', short: 'h' } as const;

/** What sets a run apart from the book's defaults, as its label: "lr 0.1, epochs 50", or its file. */
export function runLabel(record: RunRecord, fallback: string): string {
  if (!isExperimentId(record.experiment)) return fallback;
  return describeChanges(changedParams(record.params, defaultParams(record.experiment))) || 'book defaults';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const number = (value: number | null) => (value === null ? '–' : String(Number(value.toPrecision(4))));

export function compareCommand(args: string[]): number {
  const parsed = parseOrExit(() =>
    parseArgs({ args, allowPositionals: true, options: { all: { type: 'boolean' }, help } }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length < 2) {
    console.error(COMPARE_USAGE);
    return 2;
  }
  let records: RunRecord[];
  try {
    records = positionals.map(readRecordFile);
  } catch (error) {
    if (error instanceof RecordFileError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const experiment = records[0]!.experiment;
  const other = records.find((r) => r.experiment !== experiment);
  if (other) {
    console.error(`runs of different experiments cannot be compared: ${experiment} and ${other.experiment}`);
    return 2;
  }
  const header = ['', ...positionals];
  const params = compareParams(records.map((r) => ({ ...r.params, seed: r.seed })));
  const shown = values.all ? params : params.filter((row) => row.differs);
  console.log(`${experiment}: ${shown.length} of ${params.length} parameters ${values.all ? 'in all' : 'differ'}`);
  if (shown.length > 0) console.log(table([header, ...shown.map((row) => [row.path, ...row.values.map(formatValue)])]));
  if (isExperimentId(experiment)) {
    const results = records.map((r) => slotOf(experiment).keyResults(r));
    const labels = [...new Set(results.flatMap((list) => list.map((k) => k.label)))];
    console.log('\nkey results');
    console.log(
      table([
        header,
        ...labels.map((label) => [
          label,
          ...results.map((list) => number(list.find((k) => k.label === label)?.value ?? null)),
        ]),
      ]),
    );
  }
  return 0;
}

/**
 * `lab export RECORD.json --format npz [--net LABEL] [--out FILE.npz]`: a kept net (the first, or the one
 * labelled) as NumPy's .npz under the book's names, from the nets file beside the record.
 */
function exportNpz(recordFile: string, label: string | undefined, out: string | undefined): number {
  let nets: TrainedNets | null;
  try {
    nets = readNetsFile(recordFile);
  } catch (error) {
    if (!(error instanceof RecordFileError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (!nets || nets.nets.length === 0) {
    console.error(
      `${recordFile}: no trained nets kept beside it (${netsFileFor(recordFile)})${nets?.notKept ? `: ${nets.notKept}` : ''}`,
    );
    return 2;
  }
  const net = label === undefined ? nets.nets[0] : nets.nets.find((n) => n.label === label);
  if (!net) {
    console.error(`no net "${label}" (one of: ${nets.nets.map((n) => n.label).join(', ')})`);
    return 2;
  }
  const file = out ?? npzFileName(readRecordFile(recordFile).experiment, net.label);
  writeFileSync(file, netNpz(net));
  console.log(`${net.label} written to ${file}: ${net.arrays.map((a) => `${a.name} ${a.shape.join('x')}`).join(', ')}`);
  return 0;
}

export function exportCommand(args: string[]): number {
  const parsed = parseOrExit(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string' }, out: { type: 'string' }, net: { type: 'string' }, help },
    }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const format = values.format;
  if (positionals.length !== 1 || (format !== 'csv' && format !== 'json' && format !== 'npz')) {
    console.error(COMPARE_USAGE);
    return 2;
  }
  if (format === 'npz') return exportNpz(positionals[0]!, values.net, values.out);
  let record: RunRecord;
  try {
    record = readRecordFile(positionals[0]!);
  } catch (error) {
    if (error instanceof RecordFileError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const data = seriesTable([{ label: runLabel(record, positionals[0]!), series: record.series }]);
  const text = format === 'csv' ? tableCsv(data) : tableJson(data);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}
