import type { Locale } from '../shared/slots/slot';

/** The application menu's words, in every language of the lab. */
export interface MenuLabels {
  file: string;
  chooseDataset: string;
  exportChart: string;
  quit: string;
  experiment: string;
  run: string;
  cancel: string;
  view: string;
  reload: string;
  resetZoom: string;
  zoomIn: string;
  zoomOut: string;
  fullScreen: string;
  devTools: string;
  window: string;
  minimize: string;
  close: string;
  help: string;
  chapterNotes: string;
  historyFolder: string;
  logFolder: string;
  about: string;
  aboutTitle: string;
  backendNotReported: string;
}

export const MENU_LABELS: Record<Locale, MenuLabels> = {
  en: {
    file: '&File',
    chooseDataset: 'Choose Dataset Folder…',
    exportChart: 'Export Chart as PNG…',
    quit: 'Quit',
    experiment: '&Experiment',
    run: 'Run',
    cancel: 'Cancel Run',
    view: '&View',
    reload: 'Reload',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Toggle Full Screen',
    devTools: 'Developer Tools',
    window: '&Window',
    minimize: 'Minimize',
    close: 'Close',
    help: '&Help',
    chapterNotes: 'Chapter 6 Notes',
    historyFolder: 'Open History Folder',
    logFolder: 'Open Log Folder',
    about: 'About DLFS Lab',
    aboutTitle: 'About DLFS Lab',
    backendNotReported: 'not reported yet (no worker has loaded)',
  },
  'zh-CN': {
    file: '文件(&F)',
    chooseDataset: '选择数据集文件夹…',
    exportChart: '将图表导出为 PNG…',
    quit: '退出',
    experiment: '实验(&E)',
    run: '运行',
    cancel: '取消运行',
    view: '视图(&V)',
    reload: '重新加载',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullScreen: '切换全屏',
    devTools: '开发者工具',
    window: '窗口(&W)',
    minimize: '最小化',
    close: '关闭',
    help: '帮助(&H)',
    chapterNotes: '第 6 章笔记',
    historyFolder: '打开历史记录文件夹',
    logFolder: '打开日志文件夹',
    about: '关于 DLFS Lab',
    aboutTitle: '关于 DLFS Lab',
    backendNotReported: '尚未报告（还没有工作进程加载完成）',
  },
};
