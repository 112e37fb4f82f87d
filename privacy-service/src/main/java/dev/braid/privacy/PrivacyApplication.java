package dev.braid.privacy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PrivacyApplication {

    public static void main(String[] args) {
        SpringApplication.run(PrivacyApplication.class, args);
    }
}
