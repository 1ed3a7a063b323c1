package io.natsboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The natsboot sample application: connects to NATS and shows the connection in
 * {@code /actuator/health}; {@code @EnableCaching} puts {@code @Cacheable} results in the
 * key store.
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

	/**
	 * Starts the application.
	 * @param args command-line arguments, e.g.
	 * {@code --nats.servers=nats://localhost:4222}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
