DROP TABLE job_executions;
DROP TABLE scheduled_jobs;
DROP TABLE recipe_rotation;
DROP TABLE scheduler_config;
