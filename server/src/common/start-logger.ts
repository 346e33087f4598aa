import { ConsoleLogger } from '@nestjs/common';

/** Nest's own progress lines (a line per module, route and socket message): noise to a person starting Careloop. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController', 'NestApplication']);

/** The production logger: Careloop's own lines, and every warning and error, without the framework's start-up chatter. */
export class StartLogger extends ConsoleLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) return;
    super.log(message, ...optionalParams);
  }
}
