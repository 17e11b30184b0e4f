// What a forecaster answers when a real model cannot be fitted (too few points, a constant series): a simple
// method, labelled as a fallback with its reason so a manager and the backtests can tell it from a fitted model.
import type { FittedModel, Series } from './types';
import { meanForecast, naive } from './snaive';

export interface FallbackModel extends FittedModel {
  fallbackReason: string;
}

export function fallbackFor(series: Series, method: 'mean' | 'naive', reason: string): FallbackModel {
  const model = method === 'mean' ? meanForecast(series) : naive(series);
  return { ...model, method: `${model.method} (fallback)`, fallbackReason: reason };
}
