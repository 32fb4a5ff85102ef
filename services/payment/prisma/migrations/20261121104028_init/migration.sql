-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "amount_cents" INTEGER,
    "currency" CHAR(3),
    "decline_reason" TEXT,
    "provider_authorization_id" TEXT,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "provider_reference" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_authorizations" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "approved" BOOLEAN NOT NULL,
    "amount_cents" INTEGER,
    "currency" CHAR(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_authorizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_operations" (
    "idempotency_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "authorization_id" UUID,
    "reference" TEXT NOT NULL,
    "amount_cents" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_operations_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateTable
CREATE TABLE "outbox" (
    "sequence" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "headers" JSONB NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "inbox" (
    "message_id" UUID NOT NULL,
    "consumer_group" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("message_id","consumer_group")
);

-- CreateTable
CREATE TABLE "inbox_aggregate_version" (
    "consumer_group" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_aggregate_version_pkey" PRIMARY KEY ("consumer_group","aggregate_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payments_order_id_key" ON "payments"("order_id");

-- CreateIndex
CREATE INDEX "ledger_entries_order_idx" ON "ledger_entries"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_payment_kind_key" ON "ledger_entries"("payment_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "provider_authorizations_idempotency_key_key" ON "provider_authorizations"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("published_at", "sequence");

-- CreateIndex
CREATE INDEX "inbox_processed_at_idx" ON "inbox"("processed_at");

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: Prisma cannot declare these (see services/payment/README.md).
-- The ledger rules, enforced by the database too.
ALTER TABLE "payments"
  ADD CONSTRAINT "payments_status_known" CHECK ("status" IN ('AUTHORIZATION_UNKNOWN', 'AUTHORIZED', 'DECLINED', 'CAPTURED', 'VOIDED', 'REFUNDED')),
  ADD CONSTRAINT "payments_amount_positive" CHECK ("amount_cents" IS NULL OR "amount_cents" > 0),
  ADD CONSTRAINT "payments_currency_iso4217" CHECK ("currency" IS NULL OR "currency" ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT "payments_decline_reason_known" CHECK ("decline_reason" IS NULL OR "decline_reason" IN ('DECLINED', 'INSUFFICIENT_FUNDS', 'PROVIDER_UNAVAILABLE')),
  ADD CONSTRAINT "payments_declined_has_reason" CHECK ("status" <> 'DECLINED' OR "decline_reason" IS NOT NULL),
  ADD CONSTRAINT "payments_version_positive" CHECK ("version" >= 1),
  ADD CONSTRAINT "payments_money_moved_was_authorized" CHECK (
    "status" NOT IN ('AUTHORIZED', 'CAPTURED', 'REFUNDED')
    OR ("provider_authorization_id" IS NOT NULL AND "amount_cents" IS NOT NULL AND "currency" IS NOT NULL)
  );

ALTER TABLE "ledger_entries"
  ADD CONSTRAINT "ledger_entries_kind_known" CHECK ("kind" IN ('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND')),
  ADD CONSTRAINT "ledger_entries_amount_positive" CHECK ("amount_cents" > 0),
  ADD CONSTRAINT "ledger_entries_currency_iso4217" CHECK ("currency" ~ '^[A-Z]{3}$');

-- The entry an entry needs before it: CAPTURE and VOID need the payment's
-- AUTHORIZE, REFUND needs its CAPTURE. A foreign key from this generated
-- column to (payment_id, kind) makes "capture without authorization" and
-- "refund without capture" impossible, whoever writes the row.
ALTER TABLE "ledger_entries"
  ADD COLUMN "requires_kind" TEXT GENERATED ALWAYS AS (
    CASE "kind" WHEN 'CAPTURE' THEN 'AUTHORIZE' WHEN 'VOID' THEN 'AUTHORIZE' WHEN 'REFUND' THEN 'CAPTURE' END
  ) STORED,
  ADD CONSTRAINT "ledger_entries_requires_prior_entry" FOREIGN KEY ("payment_id", "requires_kind")
    REFERENCES "ledger_entries" ("payment_id", "kind");

-- An authorization is settled once: captured or voided, never both (and each at most once, by the unique key above).
CREATE UNIQUE INDEX "ledger_entries_one_settlement" ON "ledger_entries" ("payment_id") WHERE "kind" IN ('CAPTURE', 'VOID');

ALTER TABLE "provider_authorizations"
  ADD CONSTRAINT "provider_authorizations_state_known" CHECK ("state" IN ('APPROVED', 'DECLINED', 'INSUFFICIENT_FUNDS', 'CAPTURED', 'VOIDED', 'REFUNDED'));

ALTER TABLE "provider_operations"
  ADD CONSTRAINT "provider_operations_kind_known" CHECK ("kind" IN ('CAPTURE', 'VOID', 'REFUND'));
