-- Realistic app: multi-tenant SaaS where every table is keyed by (tenant_id, id) and all foreign keys are composite and include tenant_id.
CREATE SCHEMA saas;
CREATE SCHEMA "Audit Log";

CREATE TYPE saas.plan AS ENUM ('free', 'team', 'enterprise');
CREATE TYPE saas.role AS ENUM ('owner', 'admin', 'member', 'guest');

CREATE TABLE saas.tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE,
    plan saas.plan NOT NULL DEFAULT 'free',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE saas.users (
    tenant_id uuid NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    email text NOT NULL,
    role saas.role NOT NULL DEFAULT 'member',
    invited_by bigint,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, invited_by) REFERENCES saas.users (tenant_id, id) ON DELETE RESTRICT
);

CREATE TABLE saas.projects (
    tenant_id uuid NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    owner_id bigint NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT projects_owner_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES saas.users (tenant_id, id),
    CONSTRAINT projects_name_unique UNIQUE (tenant_id, name)
);

CREATE TABLE saas.tasks (
    tenant_id uuid NOT NULL,
    project_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    parent_task_id bigint,
    assignee_id bigint,
    title text NOT NULL,
    done_at timestamptz,
    labels text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES saas.projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, parent_task_id) REFERENCES saas.tasks (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES saas.users (tenant_id, id)
        ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX tasks_open ON saas.tasks (tenant_id, project_id) WHERE done_at IS NULL;
CREATE INDEX tasks_assignee ON saas.tasks (tenant_id, assignee_id) INCLUDE (title);
CREATE INDEX tasks_labels ON saas.tasks USING gin (labels);

CREATE TABLE saas.memberships (
    tenant_id uuid NOT NULL,
    project_id bigint NOT NULL,
    user_id bigint NOT NULL,
    role saas.role NOT NULL,
    PRIMARY KEY (tenant_id, project_id, user_id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES saas.projects ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES saas.users ON DELETE CASCADE
);

CREATE TABLE "Audit Log".events (
    tenant_id uuid NOT NULL REFERENCES saas.tenants ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    actor_id bigint,
    happened_at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    details jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, actor_id) REFERENCES saas.users (tenant_id, id)
);

CREATE INDEX events_recent ON "Audit Log".events USING brin (happened_at);

COMMENT ON SCHEMA saas IS 'Tenant data; every key starts with tenant_id';
COMMENT ON TABLE saas.tasks IS 'Tasks form a tree per project';
