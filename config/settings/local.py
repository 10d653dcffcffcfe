from config.env import env_bool
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("GUANJIA_DEBUG", True)
