// What README.md shows a web front-end doing with the generated TypeScript client; .ci/run type-checks it
// (strictly) together with the client, so the example and the client cannot drift apart unnoticed.
import { Configuration, DatasetsApi, TrainingJobsApi } from "../../../target/typescript/src";

export async function trainFromBrowser(base: string, apiKey: string): Promise<string> {
    const config = new Configuration({ basePath: base, accessToken: apiKey });
    const dataset = await new DatasetsApi(config).createDataset({ createDatasetRequest: { name: "tickets", labels: ["bug", "billing"] } });
    const job = await new TrainingJobsApi(config).submitTrainingJob({ submitTrainingJobRequest: { datasetId: dataset.id! } });

    // EventSource cannot send Authorization: a job-scoped stream token goes in the URL instead of the key
    const stream = await new TrainingJobsApi(config).createTrainingJobEventToken({ id: job.id! });
    const events = new EventSource(base + stream.url!);
    events.addEventListener("epoch", (e: MessageEvent<string>) => console.log(JSON.parse(e.data)));
    events.addEventListener("succeeded", () => events.close());
    return job.status!;
}
