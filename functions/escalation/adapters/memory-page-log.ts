import type { PersonPage } from '../types/incident';
import type { PageLog } from '../types/ports';

/** An in-memory {@link PageLog} for `vigil simulate`, `npm start` and tests. Same semantics as DynamoDB's. */
export class MemoryPageLog implements PageLog {
  private readonly pages = new Map<string, PersonPage>();

  public async recordPage(page: PersonPage): Promise<void> {
    this.pages.set(`${page.personId}\u0000${page.at}\u0000${page.incidentId}\u0000${page.method}`, page);
  }

  public async recentPages(personId: string, limit: number): Promise<PersonPage[]> {
    return [...this.pages.values()]
      .filter((page) => page.personId === personId)
      .sort((a, b) => b.at - a.at)
      .slice(0, limit);
  }
}
