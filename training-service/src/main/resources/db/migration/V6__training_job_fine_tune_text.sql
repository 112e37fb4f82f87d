-- whether a job fine-tunes the text encoder: true or false as asked, null where the trainer decides
alter table training.job add column fine_tune_text boolean;
