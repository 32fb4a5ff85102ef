-- Hand-written: the search document is made of words only (letters and
-- digits), the same words the list query searches for. Postgres' parser reads
-- punctuation: 'E2E-12345678' gave the lexeme '-12345678' (a signed integer),
-- so a search for the product's own name missed it. Replacing every run of
-- other characters by a space makes both sides parse the same words.
DROP INDEX "products_search_idx";

CREATE INDEX "products_search_idx" ON "products"
  USING GIN (to_tsvector('simple'::regconfig,
    regexp_replace("name" || ' ' || "description", '[^[:alnum:]]+', ' ', 'g')));
