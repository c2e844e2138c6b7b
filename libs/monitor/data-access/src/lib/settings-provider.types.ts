import { type InjectionToken } from '@nestjs/common';

/**
 * How an app hands settings to a monitor module: a factory over injected values (typically the
 * app's validated env class), so the libraries never depend on the app.
 */
export interface SettingsProvider<T> {
  readonly inject: readonly InjectionToken[];
  readonly useFactory: (...args: never[]) => T;
}
