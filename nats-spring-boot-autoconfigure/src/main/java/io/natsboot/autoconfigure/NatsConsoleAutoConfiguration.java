package io.natsboot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.KeyValueOptions;
import io.natsboot.config.NatsListenerContainerFactory;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.console.ConsoleAccess;
import io.natsboot.console.ConsoleCsrf;
import io.natsboot.console.ConsoleHealth;
import io.natsboot.console.ConsolePage;
import io.natsboot.console.ConsoleRates;
import io.natsboot.console.ConsoleRoutes;
import io.natsboot.console.ConsoleSettings;
import io.natsboot.console.HealthIndicatorConsoleHealth;
import io.natsboot.console.InstanceView;
import io.natsboot.console.KeyStoreView;
import io.natsboot.console.ListenerView;
import io.natsboot.console.MeterTotals;
import io.natsboot.console.OverviewView;
import io.natsboot.console.SecurityConsoleAccess;
import io.natsboot.console.SecurityConsoleCsrf;
import io.natsboot.console.StreamView;
import io.natsboot.console.TaskQueueView;
import io.natsboot.core.NatsHealth;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsTemplate;
import io.natsboot.instance.InstanceInfo;
import io.natsboot.instance.InstanceRegistry;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskQueueSettings;
import io.natsboot.task.TaskWorkerRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration of the natsboot console ({@code nats.console.enabled=true}, servlet
 * web applications) and of the instance registry it lists (on with the console, or with
 * {@code nats.console.instances.register=true}).
 */
@AutoConfiguration(
		after = { NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class,
				NatsKeyStoreAutoConfiguration.class, NatsHealthContributorAutoConfiguration.class,
				NatsMetricsAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(NatsTemplate.class)
public final class NatsConsoleAutoConfiguration {

	private static final Log logger = LogFactory.getLog(NatsConsoleAutoConfiguration.class);

	/**
	 * This instance as the registry and the console name it: the id is new with every
	 * run.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Conditional(ServesConsoleOrRegisters.class)
	InstanceInfo natsInstanceInfo(Environment environment, ObjectProvider<BuildProperties> build) {
		String application = application(environment);
		return new InstanceInfo(application + "-" + UUID.randomUUID().toString().substring(0, 8), application, host(),
				ProcessHandle.current().pid(), Instant.now(), Instant.now(),
				build.stream().map(BuildProperties::getVersion).findFirst().orElse(null), natsbootVersion(), List.of(),
				List.of());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(RegistersInstance.class)
	InstanceRegistry natsInstanceRegistry(NatsTemplate natsTemplate, NatsProperties properties,
			NatsMessageConverter converter, InstanceInfo started, ObjectProvider<TaskWorkerRegistry> workers,
			ObjectProvider<NatsListenerEndpointRegistry> listeners) {
		NatsProperties.Console.Instances instances = properties.getConsole().getInstances();
		String bucket = natsTemplate.getSubjectResolver().forName(instances.getBucket());
		Supplier<InstanceInfo> current = () -> started.beatingAt(Instant.now(),
				workers.stream().flatMap((registry) -> registry.getQueues().stream()).toList(),
				listeners.stream().flatMap((registry) -> registry.getListenerContainerIds().stream()).toList());
		Duration heartbeat = NatsOptionsFactory.positive("nats.console.instances.heartbeat", instances.getHeartbeat());
		Duration timeout = NatsOptionsFactory.positive("nats.console.instances.timeout", instances.getTimeout());
		Duration forgetAfter = NatsOptionsFactory.positive("nats.console.instances.forget-after",
				instances.getForgetAfter());
		if (timeout.compareTo(heartbeat) <= 0) {
			throw new InvalidConfigurationPropertyValueException("nats.console.instances.timeout", timeout,
					"It must be longer than the heartbeat (" + heartbeat + ")");
		}
		if (forgetAfter.compareTo(timeout) <= 0) {
			throw new InvalidConfigurationPropertyValueException("nats.console.instances.forget-after", forgetAfter,
					"It must be longer than the timeout (" + timeout + ")");
		}
		return new InstanceRegistry(natsTemplate.getConnection(),
				KeyValueOptions.builder().jetStreamOptions(natsTemplate.getJetStreamOptions()).build(), bucket,
				NatsOptionsFactory.replicas("nats.jetstream.replicas", null, properties.getJetstream()), heartbeat,
				timeout, forgetAfter, converter, current);
	}

	static String application(Environment environment) {
		return environment.getProperty("spring.application.name", "application");
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static @Nullable String natsbootVersion() {
		String version = NatsTemplate.class.getPackage().getImplementationVersion();
		if (version != null) {
			return version;
		}
		ClassPathResource pom = new ClassPathResource(
				"META-INF/maven/io.natsboot/nats-spring-boot-autoconfigure/pom.properties");
		if (!pom.exists()) {
			return null;
		}
		try (InputStream in = pom.getInputStream()) {
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version");
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * The console itself: a servlet web application with {@code nats.console.enabled}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(RouterFunction.class)
	@ConditionalOnBooleanProperty("nats.console.enabled")
	static class ConsoleConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConsoleSettings natsConsoleSettings(NatsProperties properties, InstanceInfo instance) {
			NatsProperties.Console console = properties.getConsole();
			try {
				return new ConsoleSettings(console.getPath(), console.isActionsEnabled(), console.isShowValues(),
						NatsOptionsFactory.positive("nats.console.refresh-interval", console.getRefreshInterval()),
						positive("nats.console.task-census-limit", console.getTaskCensusLimit()),
						instance.application(), instance.id());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("nats.console.path", console.getPath(),
						ex.getMessage());
			}
		}

		@Bean
		@ConditionalOnMissingBean
		ConsoleRates natsConsoleRates(NatsTemplate natsTemplate, ObjectProvider<MeterRegistryHolder> meters,
				ConsoleSettings settings) {
			MeterRegistryHolder holder = meters.getIfAvailable();
			return new ConsoleRates(settings.refreshInterval(),
					(holder != null) ? holder.series() : MeterTotals.of(natsTemplate.getConnection()));
		}

		@Bean
		@ConditionalOnMissingBean
		ConsoleRoutes natsConsoleRoutes(ConsoleSettings settings, NatsTemplate natsTemplate, NatsProperties properties,
				ConsoleRates rates, ObjectProvider<ConsoleHealth> health, ObjectProvider<ConsoleAccess> access,
				ObjectProvider<ConsoleCsrf> csrf, ObjectProvider<TaskQueue> taskQueue,
				ObjectProvider<TaskWorkerRegistry> workers, ObjectProvider<TaskQueueSettings> taskQueueSettings,
				ObjectProvider<NatsListenerEndpointRegistry> listeners, ObjectProvider<KeyStoreTemplate> keyStore,
				ObjectProvider<InstanceRegistry> instances) {
			ConsoleAccess checked = access.getIfAvailable();
			if (checked == null) {
				checked = ConsoleAccess.OPEN;
				logger.warn("The natsboot console at " + settings.path() + " is open to anyone who can reach this"
						+ " application" + (settings.actionsEnabled() ? ", actions included" : "")
						+ ": add Spring Security (spring-boot-starter-security) so that it requires the authority '"
						+ properties.getConsole().getAuthority() + "'");
			}
			TaskQueue tasks = taskQueue.getIfAvailable();
			TaskWorkerRegistry taskWorkers = workers.getIfAvailable();
			InstanceRegistry registry = instances.getIfAvailable();
			KeyStoreTemplate store = keyStore.getIfAvailable();
			NatsListenerEndpointRegistry listenerRegistry = listeners.getIfAvailable();
			ConsoleRoutes.Views views = new ConsoleRoutes.Views(
					new OverviewView(natsTemplate, health.getIfAvailable(() -> ConsoleHealth.NONE), rates),
					(tasks != null && taskWorkers != null)
							? new TaskQueueView(tasks, taskWorkers, settings.taskCensusLimit()) : null,
					(listenerRegistry != null) ? new ListenerView(listenerRegistry) : null,
					new StreamView(natsTemplate, natsbootStreams(natsTemplate, taskQueueSettings.getIfAvailable()),
							natsTemplate.getSubjectResolver().forName(NatsListenerContainerFactory.DEAD_LETTER_STREAM)),
					(store != null) ? new KeyStoreView(store, settings.showValues()) : null,
					(registry != null) ? new InstanceView(registry) : null, () -> outage(natsTemplate));
			return new ConsoleRoutes(settings, new ConsolePage(settings.path()), checked,
					csrf.getIfAvailable(ConsoleCsrf::new), views);
		}

		@Bean
		RouterFunction<ServerResponse> natsConsoleRouterFunction(ConsoleRoutes routes) {
			return routes.routes();
		}

		/** Why the server cannot be asked now: the connection's state and last error. */
		private static @Nullable String outage(NatsTemplate natsTemplate) {
			NatsHealth health = natsTemplate.health(false); // reads the connection, asks
															// nothing
			if (health.status() == Connection.Status.CONNECTED) {
				return null;
			}
			String error = health.error();
			return "not connected to NATS (" + health.status() + ")"
					+ ((error != null && !error.startsWith("not connected (")) ? ": " + error : "");
		}

		private static Set<String> natsbootStreams(NatsTemplate natsTemplate, @Nullable TaskQueueSettings tasks) {
			Set<String> names = new LinkedHashSet<>();
			names.add(natsTemplate.getSubjectResolver().forName(NatsListenerContainerFactory.DEAD_LETTER_STREAM));
			if (tasks != null) {
				names.add(tasks.stream());
				names.add(tasks.deadLetterStream());
			}
			return names;
		}

		private static int positive(String property, int value) {
			if (value < 1) {
				throw new InvalidConfigurationPropertyValueException(property, value, "Use 1 or more");
			}
			return value;
		}

		/**
		 * The overview's health from natsboot's health indicators.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(HealthIndicator.class)
		static class HealthConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ConsoleHealth natsConsoleHealth(ListableBeanFactory beans) {
				Map<String, HealthIndicator> natsboot = new LinkedHashMap<>();
				beans.getBeansOfType(HealthIndicator.class, false, false).forEach((name, indicator) -> {
					if (indicator.getClass().getName().startsWith("io.natsboot.")) {
						natsboot.put(name, indicator);
					}
				});
				return new HealthIndicatorConsoleHealth(natsboot);
			}

		}

		/**
		 * The charts from the application's meters.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterRegistry.class)
		static class MetricsConfiguration {

			@Bean
			@ConditionalOnBean(MeterRegistry.class)
			MeterRegistryHolder natsConsoleMeters(MeterRegistry registry) {
				return new MeterRegistryHolder(MeterTotals.of(registry));
			}

		}

		/**
		 * With Spring Security: the console's authority, and Security's CSRF token.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "org.springframework.security.core.context.SecurityContextHolder",
				"org.springframework.security.web.csrf.CsrfToken" })
		static class SecurityConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ConsoleAccess natsConsoleAccess(NatsProperties properties) {
				return new SecurityConsoleAccess(properties.getConsole().getAuthority());
			}

			@Bean
			@ConditionalOnMissingBean
			ConsoleCsrf natsConsoleCsrf() {
				return new SecurityConsoleCsrf();
			}

		}

	}

	/**
	 * The chart series of the meter registry, kept apart so that the console's
	 * configuration loads without Micrometer.
	 *
	 * @param series the series
	 */
	record MeterRegistryHolder(List<ConsoleRates.Series> series) {
	}

	/**
	 * The instance serves the console or registers itself: it needs a name.
	 */
	static class ServesConsoleOrRegisters extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			boolean console = environment.getProperty("nats.console.enabled", Boolean.class, false);
			boolean register = environment.getProperty("nats.console.instances.register", Boolean.class, false);
			return new ConditionOutcome(console || register,
					"nats.console.enabled=" + console + ", nats.console.instances.register=" + register);
		}

	}

	/**
	 * The instance registers itself when {@code nats.console.instances.register} says so,
	 * and by default when it serves the console.
	 */
	static class RegistersInstance extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			Boolean register = environment.getProperty("nats.console.instances.register", Boolean.class);
			if (register != null) {
				return new ConditionOutcome(register, "nats.console.instances.register=" + register);
			}
			boolean console = environment.getProperty("nats.console.enabled", Boolean.class, false);
			return new ConditionOutcome(console, "nats.console.enabled=" + console);
		}

	}

}
