import { parseArgs } from 'node:util';
import { loadConfig } from '../kernel/config.ts';
import type { CliCommand } from '../kernel/module.ts';
import { openDeps } from '../start.ts';
import { LOCATION, monitoringSettings } from './settings.ts';
import { ensureProbePartitions } from './storage.ts';
import { ProbeWorker } from './worker.ts';
import { startScanWorker } from './jobs.ts';

export const monitoringCommands: Record<string, CliCommand> = {
  'probe-worker': {
    summary: 'Lance un processus de sondes de disponibilité pour un lieu (même base de données que le serveur).',
    usage:
      'vigie probe-worker --location NOM [--concurrency 32]\n\n' +
      'Sonde les pages surveillées dues pour ce lieu, en continu, jusqu’à l’arrêt (Ctrl+C ou SIGTERM).\n' +
      'Plusieurs processus d’un même lieu se partagent les sondes (chacune faite une fois) ; quand plusieurs lieux\n' +
      'surveillent une page, un incident demande l’accord de deux lieux. Avec PGlite (un seul processus), utilisez\n' +
      'plutôt MONITORING_SERVER_LOCATION=NOM sur le serveur. Réglages : docs/monitoring.md.',
    async run(args) {
      const { values } = parseArgs({
        args,
        options: { location: { type: 'string' }, concurrency: { type: 'string', default: '32' } },
        strict: true,
      });
      if (!values.location || !LOCATION.test(values.location)) {
        console.error('Indiquez un lieu en minuscules (lettres, chiffres, - ou _) : vigie probe-worker --location paris');
        return 2;
      }
      const concurrency = Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
        console.error('--concurrency : un nombre entier entre 1 et 1000 est attendu.');
        return 2;
      }
      const config = loadConfig();
      const settings = monitoringSettings(config);
      const deps = await openDeps(config);
      await ensureProbePartitions(deps.db);
      const worker = new ProbeWorker(
        { db: deps.db, mailer: deps.mailer, publicUrl: deps.config.publicUrl, settings },
        { location: values.location, concurrency },
      );
      await worker.start();
      const scans = startScanWorker(deps.db, settings, values.location);
      console.log(`Sondes du lieu « ${values.location} » lancées (${concurrency} en parallèle au plus).`);
      const stop = async () => {
        await worker.stop();
        await scans?.stop();
        await deps.mailer.close();
        await deps.db.close();
        process.exit(0);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return -1;
    },
  },
};
