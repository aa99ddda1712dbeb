"""项目储备库: the county's own proposals, packaged for investors and matched in the end to a project."""
