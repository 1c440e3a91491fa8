export { initBackend, parseBackendName, BACKEND_ENV } from './backend';
export { defaultDataDir, loadDataset } from './data/mnist';
export { DatasetError } from './data/idx';
export { runExperiment, type RunOptions } from './runner';
