"""What the theme's templates print: neighbours, navigation, dates, paths, region groups."""
