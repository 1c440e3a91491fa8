import type { InsideSpread } from '../../../shared/inside';
import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import type { RunEvent } from '../../../shared/api';
import type { ExperimentId } from '../../../shared/experiments';
import type { Points, RunRecord, RunStatus, Series } from '../../../shared/runs';
import { lab, labConnection } from '../lab-api';
import { useLabStore } from './lab';

/** A run this window watches live: its status, progress, log and every point streamed so far. */
export interface LiveRun {
  runId: string;
  experiment: string;
  status: RunStatus;
  /** While queued: its place in line (1: next), when known. */
  place: number | null;
  params: Record<string, unknown> | null;
  backend: string | null;
  step: number;
  totalSteps: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The most recent log lines (the page shows the last ~20). */
  log: string[];
  error: string | null;
  /** The points, deliberately not reactive (thousands of them): `version` changes whenever they do. */
  series: Series[];
  /** The run record's summary once the run has ended (the paths' trace, the search's trials...). */
  summary: Record<string, unknown> | null;
  /** The spread recorded inside the nets once the run has ended (runs that recorded inside them). */
  inside: InsideSpread | null;
  version: number;
  /** Steps per second over the last few seconds, while running. */
  rate: number | null;
  etaSeconds: number | null;
  cancelling: boolean;
}

/** The page shows the last lines; more are kept because the search names each trial's values once, at its start. */
const KEEP_LOG_LINES = 2500;
const RATE_WINDOW_MS = 8000;

/**
 * Every run's live state, fed by the host's run events (subscribed once for the whole window). Runs
 * already going when the window opens (after a reload) are picked up from the history with the points
 * they have so far, then follow the events.
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = ref<Record<string, LiveRun>>({});
  /** The run each experiment page shows: the one last started for that experiment. */
  const current = ref<Record<string, string>>({});
  /** Changes when a run starts or ends, so that lists of runs know to reload. */
  const changes = ref(0);
  const samples = new Map<string, { t: number; step: number }[]>();
  let subscribed = false;

  function ensure(runId: string, experiment = 'unknown'): LiveRun {
    let run = runs.value[runId];
    if (!run) {
      runs.value[runId] = {
        runId,
        experiment,
        status: 'running',
        place: null,
        params: null,
        backend: null,
        step: 0,
        totalSteps: null,
        startedAt: null,
        finishedAt: null,
        log: [],
        error: null,
        series: markRaw([]),
        summary: null,
        inside: null,
        version: 0,
        rate: null,
        etaSeconds: null,
        cancelling: false,
      };
      run = runs.value[runId]!;
    }
    return run;
  }

  function appendPoints(run: LiveRun, batches: Points[]): void {
    for (const batch of batches) {
      let series = run.series.find((s) => s.name === batch.series);
      if (!series) {
        series = { name: batch.series, metric: batch.metric, key: batch.key, x: [], y: [] };
        run.series.push(series);
      }
      // A run picked up after a reload may see points it already read from the history.
      const last = series.x.length > 0 ? series.x[series.x.length - 1]! : -Infinity;
      const n = Math.min(batch.x.length, batch.y.length);
      for (let k = 0; k < n; k++) {
        if (batch.x[k]! > last) {
          series.x.push(batch.x[k]!);
          series.y.push(batch.y[k]!);
        }
      }
    }
  }

  function trackRate(run: LiveRun): void {
    const now = performance.now();
    const list = samples.get(run.runId) ?? [];
    list.push({ t: now, step: run.step });
    while (list.length > 2 && now - list[0]!.t > RATE_WINDOW_MS) list.shift();
    samples.set(run.runId, list);
    const first = list[0]!;
    const seconds = (now - first.t) / 1000;
    if (seconds >= 0.5 && run.step > first.step) {
      run.rate = (run.step - first.step) / seconds;
      run.etaSeconds = run.totalSteps ? Math.max(0, (run.totalSteps - run.step) / run.rate) : null;
    }
  }

  function applyRecord(run: LiveRun, record: RunRecord): void {
    run.experiment = record.experiment;
    run.status = record.status;
    run.params = record.params;
    run.backend = record.backend;
    run.startedAt = record.startedAt;
    run.finishedAt = record.finishedAt ?? null;
    if (record.status !== 'queued') run.place = null;
    if (record.error) run.error = record.error;
    run.series = markRaw(record.series.map((s) => ({ ...s, x: [...s.x], y: [...s.y] })));
    run.summary = Object.keys(record.summary).length > 0 ? markRaw(record.summary) : run.summary;
    run.inside = record.inside ? markRaw(record.inside) : null;
    const lastX = Math.max(0, ...record.series.map((s) => s.x[s.x.length - 1] ?? 0));
    if (record.status === 'running') run.step = Math.max(run.step, lastX);
    run.version++;
  }

  function ended(run: LiveRun): void {
    run.etaSeconds = null;
    run.place = null;
    run.cancelling = false;
    samples.delete(run.runId);
    changes.value++;
  }

  function handle({ runId, event }: RunEvent): void {
    const run = ensure(runId, event.type === 'started' ? event.experiment : undefined);
    switch (event.type) {
      case 'queued':
        if (run.status !== 'queued') changes.value++;
        run.status = 'queued';
        run.place = event.place;
        break;
      case 'started':
        run.experiment = event.experiment;
        run.status = 'running';
        run.place = null;
        run.params = event.params;
        run.backend = event.backend;
        run.totalSteps = event.totalSteps;
        run.startedAt = event.startedAt;
        current.value[event.experiment] = runId;
        useLabStore().noteBackend(event.backend);
        changes.value++;
        break;
      case 'progress':
        appendPoints(run, event.points);
        run.step = event.step;
        run.totalSteps = event.totalSteps;
        if (event.log.length > 0) run.log = [...run.log, ...event.log].slice(-KEEP_LOG_LINES);
        trackRate(run);
        run.version++;
        break;
      case 'diverged': {
        const series = run.series.find((s) => s.name === event.series);
        if (series) series.divergedAt = event.at;
        else
          run.series.push({
            name: event.series,
            metric: event.metric,
            key: event.key,
            x: [],
            y: [],
            divergedAt: event.at,
          });
        run.version++;
        break;
      }
      case 'finished':
        applyRecord(run, event.record);
        if (event.record.status === 'completed') run.step = run.totalSteps ?? run.step;
        ended(run);
        break;
      case 'failed':
        if (event.record) applyRecord(run, event.record);
        run.status = event.record?.status ?? 'failed';
        run.error = event.error;
        ended(run);
        break;
    }
  }

  /** Subscribes to the host's run events (once) and picks up the runs already going. */
  async function start(): Promise<void> {
    if (subscribed) return;
    subscribed = true;
    lab.onRunEvent(handle);
    // Back from a lost connection: events sent meanwhile were missed, so read the runs again.
    let lost = false;
    labConnection.onChange((state) => {
      if (state === 'lost') lost = true;
      else if (state === 'open' && lost) {
        lost = false;
        void catchUp().then(() => changes.value++);
      }
    });
    await catchUp();
  }

  /** Reads what the host has of the runs that go on, and of the runs this window saw going. */
  async function catchUp(): Promise<void> {
    try {
      const entries = await lab.listRuns();
      const going = entries.filter((e) => e.status === 'running' || e.status === 'queued');
      const goingThere = new Set(going.map((e) => e.id));
      // The queue is in the order the runs were started: a queued run's place follows from that.
      const queued = going
        .filter((e) => e.status === 'queued')
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
        .map((e) => e.id);
      for (const entry of going) {
        const record = await lab.getRun(entry.id);
        const run = ensure(entry.id, record.experiment);
        if (run.version > 0 && run.status !== 'running' && run.status !== 'queued') continue;
        const streamed = run.series;
        applyRecord(run, record);
        if (streamed.length > 0)
          appendPoints(
            run,
            streamed.map((s) => ({ series: s.name, metric: s.metric, key: s.key, x: s.x, y: s.y })),
          );
        if (record.status === 'queued') run.place = queued.indexOf(entry.id) + 1;
        if (!current.value[record.experiment]) current.value[record.experiment] = entry.id;
      }
      // A run that ended while the connection was down: its final record.
      for (const run of Object.values(runs.value)) {
        if ((run.status === 'running' || run.status === 'queued') && !goingThere.has(run.runId))
          applyRecord(run, await lab.getRun(run.runId));
      }
    } catch {
      // The history is shown (with its error) by the History page; live runs still arrive as events.
    }
  }

  /** Starts a run; the host validates the parameters again and rejects a bad one with its message. */
  async function startRun(experiment: ExperimentId, params: Record<string, unknown>): Promise<string> {
    const { runId } = await lab.startRun({ experiment, params });
    const run = ensure(runId, experiment);
    if (!run.params) run.params = params;
    if (run.totalSteps === null && typeof params.iterations === 'number') run.totalSteps = params.iterations;
    current.value[experiment] = runId;
    return runId;
  }

  async function cancelRun(runId: string): Promise<void> {
    const run = runs.value[runId];
    if (run) run.cancelling = true;
    try {
      await lab.cancelRun(runId);
    } catch (error) {
      if (run) run.cancelling = false;
      throw error;
    }
  }

  function currentRun(experiment: string): LiveRun | undefined {
    const id = current.value[experiment];
    return id ? runs.value[id] : undefined;
  }

  return { runs, current, changes, start, startRun, cancelRun, currentRun };
});
