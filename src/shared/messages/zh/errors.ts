/** 引擎错误代码的名称（与 en/errors.ts 同一组代码）。 */
import type { errors as en } from '../en/errors.js';

export const errors: Record<keyof typeof en, string> = {
  'error.bad_request': '未被接受',
  'error.not_found': '未找到',
  'error.conflict': '当前无法执行',
  'error.unavailable': '不可用',
  'error.too_large': '内容过大',
  'error.internal': '引擎发生内部错误',
  'error.unknown_method': '此引擎不认识该请求（是否为旧版本？）',
};
