-- A fixture migration for bootstrapService's `migrate` option.
CREATE TABLE "kit_widget" (
    "id" UUID NOT NULL,
    CONSTRAINT "kit_widget_pkey" PRIMARY KEY ("id")
);
