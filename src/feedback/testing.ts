/** Test support: a procedure with a form and a button, and a visitor answering the questionnaire. Only imported by tests. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Db } from '../kernel/db/db.ts';
import { insertButton, insertForm, type ButtonRow } from './forms/queries.ts';
import type { TemplateId } from './questionnaire/template.ts';
import { TestClient } from '../../test/helpers/client.ts';
import { createTestCatalog, type TestCatalog } from '../catalog/testing.ts';

export interface FeedbackFixture {
  catalog: TestCatalog;
  formId: number;
  button: ButtonRow;
}

export async function createFeedbackFixture(db: Db, prefix = 'fb', template: TemplateId = 'default'): Promise<FeedbackFixture> {
  const catalog = await createTestCatalog(db, { prefix });
  await db.query(`UPDATE procedures SET url = 'https://demarche.exemple.gouv.fr/' WHERE id = $1`, [catalog.procedures[0]]);
  const formId = await insertForm(db, { procedureId: catalog.procedures[0], template, name: 'Formulaire principal' }, null);
  const button = await insertButton(db, { formId, name: 'Fin de démarche', placement: 'page de confirmation', isTest: false });
  return { catalog, formId, button };
}

/** A visitor of the questionnaire with an IP of its own. */
export class Visitor {
  readonly client: TestClient;
  constructor(
    private readonly app: FastifyInstance,
    ip = '203.0.113.7',
  ) {
    this.client = new TestClient(app, { remoteAddress: ip });
  }

  static field(body: string, name: string): string {
    const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
    if (!match) throw new Error(`no field ${name} in page`);
    return match[1].replaceAll('&amp;', '&');
  }

  /** Opens the first step and sends it; returns the response (303 to the next step when accepted). */
  async start(key: string, fields: Record<string, string | string[]>, lang = 'fr'): Promise<LightMyRequestResponse> {
    const page = await this.client.get(`/avis/b/${key}?lang=${lang}`);
    return this.client.post(`/avis/b/${key}`, { debut: Visitor.field(page.body, 'debut'), lang, ...fields }, { csrf: false });
  }

  /** Follows a redirect to a later step and sends it. */
  async step(location: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const page = await this.client.get(location);
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)![1];
    return this.client.post(
      action,
      { jeton: Visitor.field(page.body, 'jeton'), lang: Visitor.field(page.body, 'lang'), ...fields },
      { csrf: false },
    );
  }
}
