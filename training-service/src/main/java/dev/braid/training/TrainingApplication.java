package dev.braid.training;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
@org.springframework.scheduling.annotation.EnableScheduling
public class TrainingApplication {

    public static void main(String[] args) {
        // DJL must never reach for the network: the PyTorch natives ship inside the classpath jar
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        SpringApplication.run(TrainingApplication.class, args);
    }
}
