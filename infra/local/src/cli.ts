/** `npm run infra:provision`: creates the service databases and checks Redis. */
import { InfrastructureUnavailableError, provisionLocalInfrastructure } from './provision';

provisionLocalInfrastructure()
  .then(({ created, existing, redis }) => {
    console.log(
      `Postgres: created ${created.length ? created.join(', ') : 'nothing'}; already there: ${existing.join(', ') || 'none'}`,
    );
    console.log(`Redis: reachable (version ${redis})`);
  })
  .catch((err: unknown) => {
    console.error(err instanceof InfrastructureUnavailableError ? `Cannot provision: ${err.message}` : err);
    process.exit(1);
  });
