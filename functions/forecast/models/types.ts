// What every forecasting model gives and takes (pure code: no AWS, no I/O). A series is equally spaced observations,
// oldest first; `null` is a missing observation (a closed day is not a zero-demand day: the caller passes null).
export type Series = ReadonlyArray<number | null>;

export interface PredictionIntervals {
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

export interface Forecast extends PredictionIntervals {
  /** Point forecasts, one per step ahead (1..h). */
  mean: number[];
}

export interface FittedModel {
  /** Short name in R's notation where one exists: `ETS(A,Ad,M)`, `SNAIVE`, `CROSTON`, `SBA`, `TSB`. */
  method: string;
  /** The estimated parameters (alpha, beta, gamma, phi, initial states…), for storage and display. */
  parameters: Record<string, number | number[]>;
  /** Information criteria where the model has a likelihood. */
  aicc?: number;
  /** Forecast h steps ahead from the end of the fitted series. */
  forecast(h: number): Forecast;
}
