import { Controller, Get, Injectable, Module, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SetMetadata } from '@nestjs/common';

type Check = () => boolean | Promise<boolean>;
/** Something an operator should know that does not stop the process from taking work; undefined when there is nothing to say. */
type Notice = () => string | undefined;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
  notices?: Record<string, string>;
}

/** Components register what must hold before the process takes work (readiness), and what an operator should see there. */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, Check>();
  private readonly notices = new Map<string, Notice>();
  private shuttingDown = false;

  register(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  notice(name: string, notice: Notice): void {
    this.notices.set(name, notice);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) checks[name] = await Promise.resolve(check()).catch(() => false);
    const ready = !this.shuttingDown && Object.values(checks).every(Boolean);
    const notices = Object.fromEntries(
      [...this.notices].flatMap(([name, notice]) => {
        const said = notice();
        return said === undefined ? [] : [[name, said]];
      }),
    );
    return { ready, checks, ...(Object.keys(notices).length > 0 && { notices }) };
  }
}

/** Marks a route as needing no credential (the exchange's auth guard honours it). */
export const IS_PUBLIC_ROUTE = 'exchange:public';

/** Liveness (the process answers) and readiness (it may be sent work), for orchestrators. */
@ApiTags('health')
@Controller('health')
export class ProbesController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @SetMetadata(IS_PUBLIC_ROUTE, true)
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  @SetMetadata(IS_PUBLIC_ROUTE, true)
  async ready() {
    const report = await this.readiness.report();
    const { checks, notices } = report;
    if (!report.ready) throw new ServiceUnavailableException({ status: 'not-ready', checks, ...(notices && { notices }) });
    return { status: 'ready', checks, ...(notices && { notices }) };
  }
}

@Module({ controllers: [ProbesController], providers: [Readiness], exports: [Readiness] })
export class HealthModule {}
