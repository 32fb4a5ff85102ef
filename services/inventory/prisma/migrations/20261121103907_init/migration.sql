-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "stock_items" (
    "product_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "product_status" TEXT NOT NULL,
    "product_version" INTEGER NOT NULL,
    "available" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "sold" INTEGER NOT NULL DEFAULT 0,
    "restocked" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_items_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "reservations" (
    "order_id" UUID NOT NULL,
    "reservation_id" UUID,
    "status" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "failure_reason" TEXT,
    "shortages" JSONB,
    "version" INTEGER NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "causation_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "reservation_items" (
    "order_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "reservation_items_pkey" PRIMARY KEY ("order_id","product_id")
);

-- CreateTable
CREATE TABLE "restock_requests" (
    "idempotency_key" TEXT NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "restock_requests_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateTable
CREATE TABLE "stock_alerts" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "order_id" UUID,
    "detail" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_alerts_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "reservations_reservation_id_key" ON "reservations"("reservation_id");

-- CreateIndex
CREATE INDEX "reservation_items_product_idx" ON "reservation_items"("product_id");

-- CreateIndex
CREATE INDEX "stock_alerts_created_idx" ON "stock_alerts"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_id_key" ON "outbox"("id");

-- CreateIndex
CREATE INDEX "outbox_unpublished_idx" ON "outbox"("published_at", "sequence");

-- CreateIndex
CREATE INDEX "inbox_processed_at_idx" ON "inbox"("processed_at");

-- AddForeignKey
ALTER TABLE "reservation_items" ADD CONSTRAINT "reservation_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reservations"("order_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reservation_items" ADD CONSTRAINT "reservation_items_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "stock_items"("product_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: Prisma cannot declare these (see services/inventory/README.md).
-- Stock can never go negative and every unit is accounted for: the chaos
-- suite's invariant, enforced by the database on every write.
ALTER TABLE "stock_items"
  ADD CONSTRAINT "stock_items_available_nonnegative" CHECK ("available" >= 0),
  ADD CONSTRAINT "stock_items_reserved_nonnegative" CHECK ("reserved" >= 0),
  ADD CONSTRAINT "stock_items_sold_nonnegative" CHECK ("sold" >= 0),
  ADD CONSTRAINT "stock_items_units_accounted" CHECK ("restocked" = "available" + "reserved" + "sold"),
  ADD CONSTRAINT "stock_items_status_known" CHECK ("product_status" IN ('active', 'discontinued')),
  ADD CONSTRAINT "stock_items_version_positive" CHECK ("product_version" >= 1);

ALTER TABLE "reservations"
  ADD CONSTRAINT "reservations_status_known"
    CHECK ("status" IN ('RESERVED', 'COMMITTED', 'RELEASED', 'EXPIRED', 'REFUSED', 'COMMIT_FAILED')),
  ADD CONSTRAINT "reservations_reserved_expires" CHECK ("status" <> 'RESERVED' OR "expires_at" IS NOT NULL),
  ADD CONSTRAINT "reservations_id_unless_refused_or_tombstone"
    CHECK ("reservation_id" IS NOT NULL OR "status" IN ('RELEASED', 'REFUSED')),
  ADD CONSTRAINT "reservations_refusal_has_reason" CHECK (("status" = 'REFUSED') = ("failure_reason" IS NOT NULL)),
  ADD CONSTRAINT "reservations_version_positive" CHECK ("version" >= 1);

ALTER TABLE "reservation_items" ADD CONSTRAINT "reservation_items_quantity_positive" CHECK ("quantity" > 0);
ALTER TABLE "restock_requests" ADD CONSTRAINT "restock_requests_quantity_positive" CHECK ("quantity" > 0);

-- The expiry sweeper's query: only live reservations, oldest deadline first.
CREATE INDEX "reservations_live_expiry_idx" ON "reservations" ("expires_at") WHERE "status" = 'RESERVED';
