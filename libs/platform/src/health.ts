import { Controller, Get, Injectable, Module, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SetMetadata } from '@nestjs/common';

type Check = () => boolean | Promise<boolean>;

/** Components register what must hold before the process takes work (readiness). */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, Check>();
  private shuttingDown = false;

  register(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async report(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) checks[name] = await Promise.resolve(check()).catch(() => false);
    const ready = !this.shuttingDown && Object.values(checks).every(Boolean);
    return { ready, checks };
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
    if (!report.ready) throw new ServiceUnavailableException({ status: 'not-ready', checks: report.checks });
    return { status: 'ready', checks: report.checks };
  }
}

@Module({ controllers: [ProbesController], providers: [Readiness], exports: [Readiness] })
export class HealthModule {}
