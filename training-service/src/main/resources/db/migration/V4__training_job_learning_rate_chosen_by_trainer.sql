-- null: the job left the learning rate to the trainer, which picks one per branch
alter table training.job alter column learning_rate drop not null;
