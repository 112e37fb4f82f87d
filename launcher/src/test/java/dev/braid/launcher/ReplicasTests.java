package dev.braid.launcher;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How many instances of each service {@code ./braid up} runs, from {@code BRAID_<SERVICE>_REPLICAS}. */
class ReplicasTests {

    @Test
    void shouldRunOneOfEachUnlessToldOtherwise() {
        assertThat(Platform.replicas(Map.of("BRAID_INFERENCE_REPLICAS", " 2 ", "BRAID_TRAINING_REPLICAS", "8")))
                .containsEntry("inference-service", 2).containsEntry("training-service", 8)
                .containsEntry("dataset-service", 1).containsEntry("privacy-service", 1).containsEntry("gateway-service", 1);
    }

    @Test
    void shouldRefuseCountsOutOfRangeAndASecondGateway() {
        assertThatThrownBy(() -> Platform.replicas(Map.of("BRAID_INFERENCE_REPLICAS", "0")))
                .hasMessageContaining("BRAID_INFERENCE_REPLICAS must be between 1 and 8, not 0");
        assertThatThrownBy(() -> Platform.replicas(Map.of("BRAID_TRAINING_REPLICAS", "9"))).hasMessageContaining("not 9");
        assertThatThrownBy(() -> Platform.replicas(Map.of("BRAID_DATASET_REPLICAS", "two")))
                .hasMessageContaining("BRAID_DATASET_REPLICAS must be a number, not two");
        assertThatThrownBy(() -> Platform.replicas(Map.of("BRAID_GATEWAY_REPLICAS", "2")))
                .hasMessageContaining("BRAID_GATEWAY_REPLICAS must be between 1 and 1");
    }
}
