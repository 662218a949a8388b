/** 配置编辑器（CodeMirror）的简体中文文案：补全、与磁盘文件的差异、保存回文件。 */
import type { editor as en } from '../en/editor.js';

export const editor: Record<keyof typeof en, string> = {
  'editor.open': '编辑配置…',
  'editor.title': '编辑“{name}”',
  'editor.file': '文件：{path}',
  'editor.noFile': '此任务在磁盘上没有文件（在浏览器中拖入或为副本）：保存只修改任务本身。',
  'editor.loading': '正在加载编辑器…',
  'editor.diff': '与磁盘上的文件对比',
  'editor.save': '保存到文件',
  'editor.saveTask': '保存',
  'editor.saved': '已保存 {path}',
  'editor.savedTask': '已保存“{name}”',
  'editor.unchanged': '没有改动',
  'editor.issues': '{errors} 个错误，{warnings} 个警告',
  'editor.hover.type': '类型 {type}',
  'editor.hover.default': '默认值 {value}',
  'editor.err.save': '未保存',
  'editor.err.load': '无法读取文件',
  'editor.err.conflict': '编辑器载入后，{file} 已在磁盘上被修改。你的改动仍保留在这里：打开对比查看差异，复制需要的内容，然后关闭并重新打开编辑器，从文件的当前内容开始。',
};
