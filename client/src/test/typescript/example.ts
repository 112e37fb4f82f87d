// What README.md shows a web front-end doing with the generated TypeScript client; .ci/run type-checks it
// (strictly) together with the client, so the example and the client cannot drift apart unnoticed.
import { Configuration, DatasetsApi, TrainingJobsApi } from "../../../target/typescript/src";

export async function trainFromBrowser(base: string, apiKey: string): Promise<string> {
    const config = new Configuration({ basePath: base, accessToken: apiKey });
    const dataset = await new DatasetsApi(config).createDataset({ createDatasetRequest: { name: "tickets", labels: ["bug", "billing"] } });
    const job = await new TrainingJobsApi(config).submitTrainingJob({ submitTrainingJobRequest: { datasetId: dataset.id! } });
    follow(base, config, job.id!, null);
    return job.status!;
}

/**
 * EventSource cannot send Authorization: a job-scoped stream token goes in the URL instead of the key. A token
 * expires (10 minutes); EventSource's own reconnect is then refused and closes the source, and a new token is asked
 * for, resuming after the last event seen.
 */
export async function follow(base: string, config: Configuration, jobId: string, lastId: string | null): Promise<void> {
    const stream = await new TrainingJobsApi(config).createTrainingJobEventToken({ id: jobId });
    const events = new EventSource(base + stream.url! + (lastId ? `&after=${lastId}` : ""));
    let last = lastId;
    events.addEventListener("epoch", (e: MessageEvent<string>) => {
        last = e.lastEventId;
        console.log(JSON.parse(e.data));
    });
    for (const end of ["succeeded", "failed", "cancelled"]) {
        events.addEventListener(end, () => events.close());
    }
    events.onerror = () => {
        if (events.readyState === EventSource.CLOSED) {
            setTimeout(() => follow(base, config, jobId, last), 1000);
        }
    };
}
